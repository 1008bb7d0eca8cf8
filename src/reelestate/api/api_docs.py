"""The REST API's interactive documentation, with Swagger UI served by the app itself.

FastAPI's default page loads Swagger UI from a public CDN: a third party would see who reads the
docs and could change the script that runs next to a signed-in session. The same files ship in
the `swagger-ui-bundle` package and are served from `/api/v1/docs/assets`; the page's one inline
script gets the page's CSP nonce (see `security/headers.py`).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]


def install(app: FastAPI, prefix: str) -> None:
    """`{prefix}/docs` and its assets."""
    assets = f"{prefix}/docs/assets"
    app.mount(assets, StaticFiles(directory=str(swagger_ui_path)), name="api-docs-assets")

    @app.get(f"{prefix}/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{prefix}/openapi.json",
            title=f"{app.title} - docs",
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon-32x32.png",
        )
