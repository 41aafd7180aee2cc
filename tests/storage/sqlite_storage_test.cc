// The storage test suite on SQLite: a database file in a temporary
// directory. Runs everywhere, labelled "unit".
#include "tests/storage/storage_test_suite.h"

namespace lss::storage_test {

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StorageTest, SqliteBackend);

}  // namespace lss::storage_test
