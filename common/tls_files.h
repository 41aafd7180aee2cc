// Reading the PEM files that TLS settings name (certificates, private keys,
// CA bundles), for license-server's listener and its client to KA.
//
// Errors name the setting (as the operator typed it, e.g. "--tls_key_file")
// and the path, never the file's contents: a private key must not reach a
// log. Knows nothing of gRPC, so that both server/ and client/ can use it.
//
// Thread-safe: the functions touch no shared state beyond the file system.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lss {

// The contents of the PEM file at `path`. FAILED_PRECONDITION naming
// `setting` and `path` when the file cannot be read or holds no PEM block
// (gRPC would otherwise fail later with a message that names neither), or
// when others may write it (or, for a private key, read it):
// common/file_permissions.h.
absl::StatusOr<std::string> ReadPemFile(absl::string_view setting, const std::string& path);
absl::StatusOr<std::string> ReadPemKeyFile(absl::string_view setting, const std::string& path);

// A certificate and its key are given together or not at all:
// INVALID_ARGUMENT naming the missing one otherwise.
absl::Status CheckCertificatePair(absl::string_view cert_setting, const std::string& cert_path,
                                  absl::string_view key_setting, const std::string& key_path);

}  // namespace lss
