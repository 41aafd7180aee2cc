// TempDir: unique, removed with its contents, kept on request.
#include "tests/harness/temp_dir.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace lss::harness {
namespace {

TEST(TempDirTest, CreatesAUniqueDirectoryAndRemovesItWithItsContents) {
  std::string first_path;
  {
    absl::StatusOr<TempDir> first = TempDir::Create("unit");
    absl::StatusOr<TempDir> second = TempDir::Create("unit");
    ASSERT_TRUE(first.ok()) << first.status();
    ASSERT_TRUE(second.ok()) << second.status();
    EXPECT_NE(first->path(), second->path());
    EXPECT_TRUE(std::filesystem::is_directory(first->path()));

    first_path = first->path();
    std::filesystem::create_directory(first->Join("nested"));
    std::ofstream(first->Join("nested/file.txt")) << "data";
    ASSERT_TRUE(std::filesystem::exists(first->Join("nested/file.txt")));
  }
  EXPECT_FALSE(std::filesystem::exists(first_path));
}

TEST(TempDirTest, MovingTransfersOwnership) {
  absl::StatusOr<TempDir> original = TempDir::Create("unit");
  ASSERT_TRUE(original.ok()) << original.status();
  const std::string path = original->path();
  {
    TempDir moved = *std::move(original);
    EXPECT_EQ(moved.path(), path);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(TempDirTest, KeepsTheDirectoryWhenAskedTo) {
  setenv("LSS_KEEP_TEST_DIRS", "1", /*overwrite=*/1);
  std::string path;
  {
    absl::StatusOr<TempDir> dir = TempDir::Create("unit");
    ASSERT_TRUE(dir.ok()) << dir.status();
    path = dir->path();
  }
  unsetenv("LSS_KEEP_TEST_DIRS");
  EXPECT_TRUE(std::filesystem::exists(path));
  std::filesystem::remove_all(path);
}

}  // namespace
}  // namespace lss::harness
