# meshcore must stay Qt-free so meshd runs on servers without Qt. This adds a target that every
# meshcore build depends on and that fails, naming file and line, when a Qt header is included.
function(meshscope_forbid_qt_includes target dir)
    add_custom_target(${target}_no_qt_check
        COMMAND ${CMAKE_COMMAND} -DSCAN_DIR=${dir} -P ${PROJECT_SOURCE_DIR}/cmake/CheckNoQtIncludes.cmake
        COMMENT "Checking that ${dir} includes no Qt header"
        VERBATIM)
    add_dependencies(${target} ${target}_no_qt_check)
endfunction()
