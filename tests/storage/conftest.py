from tests.support.fixtures import db, pg_db, pg_settings, pg_url, sqlite_settings

__all__ = ["db", "pg_db", "pg_settings", "pg_url", "sqlite_settings"]
