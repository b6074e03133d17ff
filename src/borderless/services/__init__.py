"""Use cases. Interfaces (API, CLI) call these; these call governance and the store."""
