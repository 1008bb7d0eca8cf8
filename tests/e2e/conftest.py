from tests.web.conftest import chat_server

__all__ = ["chat_server"]
