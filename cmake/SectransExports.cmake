# Reads the API tables (*.def) and writes the linker version script from them,
# so the export list has exactly one source: the tables.
#
# A table row is a line that starts with ST_FN(, ST_DATA(, CF_FN(, CF_DATA(,
# SEC_FN(, SEC_DATA(, CC_FN( or CC_DATA( followed by the exported name.

function(sectrans_read_api_names out_var)
    set(names "")
    foreach(table IN LISTS ARGN)
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${table})
        file(STRINGS ${table} rows REGEX "^(ST|CF|SEC|CC)_(FN|DATA)\\(")
        foreach(row IN LISTS rows)
            string(REGEX REPLACE "^[A-Z]+_[A-Z]+\\(([A-Za-z0-9_]+),.*" "\\1" name "${row}")
            list(APPEND names ${name})
        endforeach()
    endforeach()
    list(SORT names)
    set(${out_var} ${names} PARENT_SCOPE)
endfunction()

function(sectrans_write_version_script path)
    sectrans_read_api_names(names ${ARGN})
    list(LENGTH names count)
    # An anonymous version node: the names are exported bare, as Apple's
    # frameworks export them, so tools that look symbols up by name find them.
    set(body "/* Generated from the API tables; do not edit. ${count} symbols. */\n")
    string(APPEND body "{\n  global:\n")
    foreach(name IN LISTS names)
        string(APPEND body "    ${name};\n")
    endforeach()
    string(APPEND body "  local:\n    *;\n};\n")
    file(GENERATE OUTPUT ${path} CONTENT "${body}")
    # The export test compares this list with what the library really exports.
    string(REPLACE ";" "\n" lines "${names}")
    file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/sectrans-exports.txt CONTENT "${lines}\n")
endfunction()
