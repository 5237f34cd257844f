"""The web channel (`skillcert web`): a chat page, its JSON API and /embed.js; /admin is the console."""
