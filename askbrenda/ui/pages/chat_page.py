"""Page script: Chat (everyone)."""

from askbrenda.ui import chat

chat.page()
