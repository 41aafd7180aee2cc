# Warnings for project code only; generated protobuf code is compiled without.
add_library(lss_warnings INTERFACE)
target_compile_options(lss_warnings INTERFACE -Wall -Wextra -Wpedantic)
if(LSS_WERROR)
  target_compile_options(lss_warnings INTERFACE -Werror)
endif()
