# lss_discover_tests(<target> LABELS <label>... [PREFIX <prefix>] [TIMEOUT <seconds>]
#                    [SANITIZERS])
#
# gtest_discover_tests() with any number of labels. Its PROPERTIES argument
# is flattened into one list, so "LABELS a;b" would make "b" a property name:
# instead the discovered tests are labelled by a script that ctest runs after
# the discovery script has listed them in <target>_TESTS.
#
# SANITIZERS (implied by the label "unit") adds the label "sanitizers": the
# suites that the ASan/UBSan and TSan builds of tools/ci/run-sanitizers.sh
# build and run.
function(lss_discover_tests target)
  cmake_parse_arguments(ARG "SANITIZERS" "PREFIX;TIMEOUT" "LABELS" ${ARGN})
  if(ARG_SANITIZERS OR "unit" IN_LIST ARG_LABELS)
    list(APPEND ARG_LABELS sanitizers)
    set_property(GLOBAL APPEND PROPERTY LSS_SANITIZER_SUITES ${target})
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  gtest_discover_tests(${target} NO_PRETTY_TYPES NO_PRETTY_VALUES TEST_PREFIX "${ARG_PREFIX}"
    TEST_LIST ${target}_TESTS DISCOVERY_TIMEOUT 30)
  set(labels_script ${CMAKE_CURRENT_BINARY_DIR}/${target}_labels.cmake)
  file(WRITE ${labels_script}
    "foreach(test IN LISTS ${target}_TESTS)\n"
    "  set_tests_properties(\"\${test}\" PROPERTIES LABELS \"${ARG_LABELS}\" TIMEOUT ${ARG_TIMEOUT})\n"
    "endforeach()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${labels_script})
endfunction()
