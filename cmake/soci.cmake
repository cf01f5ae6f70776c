# Debian's libsoci-dev ships no CMake package: find the core and the two backends we use.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIB soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIB soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL_LIB soci_postgresql REQUIRED)
add_library(soci INTERFACE)
target_include_directories(soci SYSTEM INTERFACE ${SOCI_INCLUDE_DIR})
target_link_libraries(soci INTERFACE ${SOCI_CORE_LIB} ${SOCI_SQLITE3_LIB} ${SOCI_POSTGRESQL_LIB} ${CMAKE_DL_LIBS})
