#!/usr/bin/env bash
# NVENC against libx264 on a GPU machine: the same frames through both encoders (time, size,
# SSIM >= 0.95) and the whole 12-photo render with each. About two minutes; stops at five.
#
#   make install && bash benchmarks/gpu.sh            # PYTHON=... to use another interpreter
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3
FFMPEG=${REELESTATE_FFMPEG:-ffmpeg}

if ! ls /dev/nvidia[0-9]* >/dev/null 2>&1; then
  echo "No NVIDIA device here (/dev/nvidia0): nothing to compare; renders use libx264." >&2
  exit 2
fi
if ! "$FFMPEG" -hide_banner -encoders 2>/dev/null | grep -qw h264_nvenc; then
  echo "This FFmpeg has no h264_nvenc encoder: $("$FFMPEG" -version | head -1)" >&2
  exit 2
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
timeout 300 "$PYTHON" -m benchmarks.gpu_compare
