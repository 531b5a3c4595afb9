"""The preview gallery: static pages of every rendering, a local server, screenshots."""
