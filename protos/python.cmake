# Python stubs of the same API (included from protos/CMakeLists.txt, so that
# the proto names stay "licensing/v1/..." as in the C++ library): messages
# (*_pb2.py, with *_pb2.pyi type hints) and gRPC stubs (*_pb2_grpc.py) for
# licensing.v1 and keyadmin.v1, and the google.rpc messages that error
# details arrive in. No proto of ours imports google.type, so none is built.
#
# The tree ${PROJECT_BINARY_DIR}/python is importable as it is
# (PYTHONPATH=build/python) with Debian's python3-grpcio and python3-protobuf.
# Its packages are namespace packages, on purpose: an __init__.py in
# python/google would hide Debian's google.protobuf, which lives in another
# portion of the same `google` namespace.
#
# Built by default, and installed to ${CMAKE_INSTALL_DATADIR}/license_sync/python
# beside the installed .proto files, when grpc_python_plugin (Debian's
# protobuf-compiler-grpc) is found. protoc is the system one: it must match
# the python3-protobuf runtime (python3-grpc-tools bundles a protoc too old
# for proto3 `optional`).

# The interpreter the stubs are for: Debian's, where python3-grpcio lives (a
# pyenv python3 first on PATH has no grpc).
set(LSS_SYSTEM_PYTHON /usr/bin/python3 CACHE FILEPATH "Python that runs the generated stubs (Debian's python3-grpcio)")
find_program(LSS_GRPC_PYTHON_PLUGIN grpc_python_plugin)
if(NOT LSS_GRPC_PYTHON_PLUGIN)
  message(STATUS "Python stubs: not built (no grpc_python_plugin; install protobuf-compiler-grpc)")
  return()
endif()

set(LSS_PYTHON_OUT ${PROJECT_BINARY_DIR}/python)

set(lss_python_protos)
set(lss_python_outputs)
foreach(proto IN LISTS LSS_API_PROTOS)
  file(RELATIVE_PATH name ${CMAKE_CURRENT_SOURCE_DIR} ${proto})
  string(REGEX REPLACE "\\.proto$" "" stem ${name})
  list(APPEND lss_python_protos ${name})
  list(APPEND lss_python_outputs ${LSS_PYTHON_OUT}/${stem}_pb2.py ${LSS_PYTHON_OUT}/${stem}_pb2.pyi
                                 ${LSS_PYTHON_OUT}/${stem}_pb2_grpc.py)
endforeach()
set(lss_python_google_protos google/rpc/status.proto google/rpc/error_details.proto)
set(lss_python_google_sources)
foreach(name IN LISTS lss_python_google_protos)
  string(REGEX REPLACE "\\.proto$" "" stem ${name})
  list(APPEND lss_python_google_sources ${GOOGLEAPIS_PROTO_DIR}/${name})
  list(APPEND lss_python_outputs ${LSS_PYTHON_OUT}/${stem}_pb2.py ${LSS_PYTHON_OUT}/${stem}_pb2.pyi)
endforeach()

# The google.rpc protos define no service: messages only, from their own
# root (as for the C++ library).
add_custom_command(
  OUTPUT ${lss_python_outputs}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${LSS_PYTHON_OUT}
  COMMAND protobuf::protoc -I ${CMAKE_CURRENT_SOURCE_DIR}
          --python_out=${LSS_PYTHON_OUT} --pyi_out=${LSS_PYTHON_OUT}
          --plugin=protoc-gen-grpc_python=${LSS_GRPC_PYTHON_PLUGIN}
          --grpc_python_out=${LSS_PYTHON_OUT}
          ${lss_python_protos}
  COMMAND protobuf::protoc -I ${GOOGLEAPIS_PROTO_DIR}
          --python_out=${LSS_PYTHON_OUT} --pyi_out=${LSS_PYTHON_OUT}
          ${lss_python_google_protos}
  DEPENDS ${LSS_API_PROTOS} ${lss_python_google_sources} ${LSS_GRPC_PYTHON_PLUGIN}
  WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
  COMMENT "Generating Python stubs in ${LSS_PYTHON_OUT}"
  VERBATIM)
add_custom_target(licensing_python ALL DEPENDS ${lss_python_outputs})
# Where the tree is, for tests that run Python against it:
# $<TARGET_PROPERTY:licensing_python,LSS_PYTHON_PATH>.
set_target_properties(licensing_python PROPERTIES LSS_PYTHON_PATH ${LSS_PYTHON_OUT})

install(DIRECTORY ${LSS_PYTHON_OUT}/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/license_sync/python
  FILES_MATCHING PATTERN "*.py" PATTERN "*.pyi"
  PATTERN "__pycache__" EXCLUDE)
