"""Loading: bytes from the worktree or a git revision -> positioned YAML documents."""
