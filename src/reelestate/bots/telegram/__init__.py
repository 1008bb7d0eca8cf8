"""The Telegram channel: the same runner as the web chat, through python-telegram-bot."""
