# Every dependency comes from Debian's packages (see tools/dev/install-deps.sh).
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)            # module mode: Debian ships no config
find_package(gRPC CONFIG REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(OpenSSL REQUIRED)           # SHA-256 of bearer tokens

# SOCI 4.0.3 ships no CMake config, Find module or .pc file: wrap it here.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
find_library(SOCI_MYSQL_LIBRARY soci_mysql REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)

add_library(soci::core UNKNOWN IMPORTED)
set_target_properties(soci::core PROPERTIES
  IMPORTED_LOCATION ${SOCI_CORE_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${SOCI_INCLUDE_DIR})
add_library(soci::sqlite3 UNKNOWN IMPORTED)
set_target_properties(soci::sqlite3 PROPERTIES
  IMPORTED_LOCATION ${SOCI_SQLITE3_LIBRARY}
  INTERFACE_LINK_LIBRARIES "soci::core;PkgConfig::SQLITE3")
add_library(soci::mysql UNKNOWN IMPORTED)
set_target_properties(soci::mysql PROPERTIES
  IMPORTED_LOCATION ${SOCI_MYSQL_LIBRARY}
  INTERFACE_LINK_LIBRARIES "soci::core;PkgConfig::MARIADB")

# civetweb (the metrics' HTTP endpoint): Debian's CMake config names a
# /usr/bin/civetweb that only the separate `civetweb` package installs, and
# fails without it; no .pc file either. Wrapped here like SOCI.
find_path(CIVETWEB_INCLUDE_DIR civetweb.h REQUIRED)
find_library(CIVETWEB_LIBRARY civetweb REQUIRED)
add_library(civetweb::civetweb UNKNOWN IMPORTED)
set_target_properties(civetweb::civetweb PROPERTIES
  IMPORTED_LOCATION ${CIVETWEB_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${CIVETWEB_INCLUDE_DIR})

# google.rpc.Status / ErrorDetails protos (AIP-193 error details) are packaged
# by Debian under the gogo googleapis tree as plain .proto files.
find_path(GOOGLEAPIS_PROTO_DIR google/rpc/error_details.proto
  PATHS /usr/share/gocode/src/github.com/gogo/googleapis REQUIRED)

if(LSS_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
  include(GoogleTest)
endif()
