# Runs as `cmake -P`: install, configure the consumer, build it, run it
# (offline: installed_consumer_test runs it against a server). With PYTHON
# set, also runs the Python example over the installed stubs, which imports
# every module it needs.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build -G Ninja
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer)
if(PYTHON)
  run(${CMAKE_COMMAND} -E env PYTHONPATH=${prefix}/${PYTHON_STUBS_SUBDIR} PYTHONNOUSERSITE=1
      PYTHONDONTWRITEBYTECODE=1 ${PYTHON} ${PYTHON_EXAMPLE} --help)
endif()
