# Sanitizer builds (tools/ci/run-sanitizers.sh drives them; CI runs both):
#   -DLSS_SANITIZE=address   AddressSanitizer + UndefinedBehaviorSanitizer
#   -DLSS_SANITIZE=thread    ThreadSanitizer
# Every target of the project is instrumented, generated protobuf code
# included; Debian's libraries are not, which is why a thread build links
# tools/sanitizers/tsan_absl_shim.cc into each executable (see there).
# Build with clang (CC=clang CXX=clang++): Debian's clang and compiler-rt
# are what CI installs for these builds.
set(LSS_SANITIZE "" CACHE STRING "Sanitizer build: address (ASan+UBSan), thread (TSan) or empty")
set_property(CACHE LSS_SANITIZE PROPERTY STRINGS "" address thread)

if(LSS_SANITIZE STREQUAL "address")
  # UB aborts the process instead of printing and going on, so that a test
  # cannot pass over it. The vptr check is left out: it needs the typeinfo
  # of every polymorphic class it meets, and Debian's SOCI does not export
  # that of its statement and session classes (the link fails).
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)
elseif(LSS_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT LSS_SANITIZE STREQUAL "")
  message(FATAL_ERROR "LSS_SANITIZE is '${LSS_SANITIZE}': use address, thread or leave it empty")
endif()

# lss_link_sanitizer_support(<directory>): links the TSan Abseil shim into
# every executable defined under <directory>. Called once, after all of the
# project's subdirectories are added; a no-op outside a thread build.
function(lss_link_sanitizer_support directory)
  if(NOT LSS_SANITIZE STREQUAL "thread")
    return()
  endif()
  get_property(targets DIRECTORY ${directory} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE")
      target_sources(${target} PRIVATE $<TARGET_OBJECTS:lss_tsan_absl_shim>)
      target_link_libraries(${target} PRIVATE ${CMAKE_DL_LIBS})
    endif()
  endforeach()
  get_property(subdirectories DIRECTORY ${directory} PROPERTY SUBDIRECTORIES)
  foreach(subdirectory IN LISTS subdirectories)
    lss_link_sanitizer_support(${subdirectory})
  endforeach()
endfunction()
