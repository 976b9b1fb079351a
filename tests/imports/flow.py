"""Importing as a person does: upload, read the preview, confirm, let the worker run, read the outcome."""

import io

import pytest

from tests.jobs import run_jobs


@pytest.fixture(autouse=True)
def own_files(app, tmp_path):
    """Fresh media and export folders: user ids restart at 1 in every test."""
    app.config.update(UPLOAD_DIR=str(tmp_path / "uploads"), EXPORT_DIR=str(tmp_path / "exports"))


def upload(client, data: bytes, source: str, name: str = "export.zip"):
    return client.post(
        "/account/exports/import",
        data={"source": source, "archive": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def preview(client, data: bytes, source: str, name: str = "export.zip") -> tuple[str, str]:
    """Upload the file; the status page's address and the preview it shows."""
    response = upload(client, data, source, name)
    assert response.status_code == 302, response.get_data(as_text=True)
    address = response.headers["Location"]
    page = client.get(address)
    assert page.status_code == 200
    return address, page.get_data(as_text=True)


def confirm(client, address: str, update: bool = False) -> str:
    """Confirm the preview, run the import on a real worker; the outcome page."""
    response = client.post(address, data={"update": "y"} if update else {})
    assert response.status_code == 302
    run_jobs()
    return client.get(address).get_data(as_text=True)


def import_file(client, data: bytes, source: str, name: str = "export.zip", update: bool = False) -> str:
    address, _page = preview(client, data, source, name)
    return confirm(client, address, update)
