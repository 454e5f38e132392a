# `cmake --install`: the library and its framework aliases, the public
# headers, sectrans.pc and a CMake package (find_package(sectrans) ->
# sectrans::sectrans). Internal headers are never installed.

include(CMakePackageConfigHelpers)

install(TARGETS sectrans EXPORT sectransTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
foreach(alias Security CoreFoundation CommonCrypto)
    install(CODE "execute_process(COMMAND \${CMAKE_COMMAND} -E create_symlink libsectrans.so
        \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/lib${alias}.so\")")
endforeach()

# Headers go under include/sectrans/ so that our CoreFoundation/ and
# Security/ never shadow another implementation's by accident; the .pc file
# and the CMake package add that directory to the include path.
install(DIRECTORY ${SECTRANS_PUBLIC_INCLUDE_DIR}/
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sectrans
    FILES_MATCHING PATTERN "*.h")

install(EXPORT sectransTargets NAMESPACE sectrans::
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sectrans)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sectransConfig.cmake.in
    ${CMAKE_BINARY_DIR}/sectransConfig.cmake
    INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sectrans)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/sectransConfigVersion.cmake
    COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/sectransConfig.cmake
              ${CMAKE_BINARY_DIR}/sectransConfigVersion.cmake
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/sectrans)

# The .pc file finds the prefix relative to itself, so the tree can move.
file(RELATIVE_PATH SECTRANS_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(${PROJECT_SOURCE_DIR}/cmake/sectrans.pc.in ${CMAKE_BINARY_DIR}/sectrans.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/sectrans.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
