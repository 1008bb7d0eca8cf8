"""Background music: procedural beds made at run time and user tracks."""
