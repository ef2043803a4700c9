//! Derive macros for popgen: `Validate` and `RpcParams` (they land with the validation issue).
