// Schema migrations: the numbered scripts in storage/migrations/, embedded
// into the binary at build time (storage/cmake/embed_migrations.cmake) so
// that license-server needs no files beside it.
//
// Adding a migration is adding one file, NNNN_what_it_does.sql: the next
// number, written once for both backends with the placeholders of
// Dialect::ExpandPlaceholders. Never edit a migration that has shipped.
//
// Plain values; EmbeddedMigrations() is immutable and thread-safe.
#pragma once

#include <string>
#include <vector>

namespace lss::storage {

struct Migration {
  int version = 0;     // NNNN of the file name
  std::string name;    // the rest of the file name, e.g. "licenses"
  std::string script;  // the file's text, placeholders unexpanded
};

// Every migration in storage/migrations/, in increasing version order.
const std::vector<Migration>& EmbeddedMigrations();

}  // namespace lss::storage
