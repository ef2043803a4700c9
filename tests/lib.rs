//! Workspace-level integration tests; the tests themselves are in `tests/`.
