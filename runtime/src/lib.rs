//! Runtime support for popgen-generated Alibaba Cloud RPC ("POP") clients: validation rules,
//! wire params, signing and credentials. The modules land with the validation and signing issue.
#![warn(missing_docs)]
