# Writes a C++ source defining lss::storage::EmbeddedMigrations() from the
# migration scripts, so that the binary carries its schema.
#   cmake -DMIGRATIONS_DIR=<dir of NNNN_name.sql> -DOUTPUT=<file.cc> -P embed_migrations.cmake
# Run by a custom command that depends on every script: editing or adding
# one regenerates the source.
cmake_minimum_required(VERSION 3.25)

file(GLOB scripts RELATIVE "${MIGRATIONS_DIR}" "${MIGRATIONS_DIR}/*.sql")
list(SORT scripts)

set(delimiter "lss_sql")  # C++ allows 16 characters at most
set(entries "")
set(previous 0)
foreach(script IN LISTS scripts)
  if(NOT script MATCHES "^([0-9][0-9][0-9][0-9])_([a-z0-9_]+)\\.sql$")
    message(FATAL_ERROR "${script}: a migration is named NNNN_lowercase_name.sql")
  endif()
  set(name "${CMAKE_MATCH_2}")
  math(EXPR version "${CMAKE_MATCH_1}")  # drops the leading zeros
  math(EXPR expected "${previous} + 1")
  if(NOT version EQUAL expected)
    # A gap or a duplicate number is a lost file or a merge gone wrong.
    message(FATAL_ERROR "${script}: expected migration number ${expected}")
  endif()
  set(previous ${version})
  file(READ "${MIGRATIONS_DIR}/${script}" text)
  string(FIND "${text}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${script} contains the raw-string delimiter ${delimiter}")
  endif()
  string(APPEND entries
    "      {${version}, \"${name}\", R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()

set(content "// Generated from storage/migrations/*.sql by storage/cmake/embed_migrations.cmake.
// Do not edit: edit or add a migration script instead.
#include \"storage/sql/migration.h\"

namespace lss::storage {

const std::vector<Migration>& EmbeddedMigrations() {
  static const auto* const migrations = new std::vector<Migration>{
${entries}  };
  return *migrations;
}

}  // namespace lss::storage
")

file(WRITE "${OUTPUT}" "${content}")
