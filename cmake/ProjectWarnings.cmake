# Warnings for project code only; generated protobuf code is compiled without.
add_library(lss_warnings INTERFACE)
target_compile_options(lss_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(LSS_WERROR)
  target_compile_options(lss_warnings INTERFACE -Werror)
endif()
# Clang checks the ABSL_GUARDED_BY / ABSL_*_LOCKS_REQUIRED annotations (g++
# ignores them). A finding is always an error, LSS_WERROR or not: the
# annotations are how the code says which lock guards what. CI's ASan build
# (tools/ci/run-sanitizers.sh asan) compiles everything with clang.
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  target_compile_options(lss_warnings INTERFACE -Wthread-safety -Werror=thread-safety)
endif()
