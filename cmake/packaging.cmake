# Installation layout and the Debian package (`cpack -G DEB` in a build directory; docs/packaging.md).
#   /usr/bin/pdex                                   the one binary (server and CLI)
#   /usr/share/predictiondex/{data,configs,web/dist}      read-only: game data, model configs, the built web app
#   /usr/lib/systemd/system/pdex.service             the service (User=pdex, StateDirectory=predictiondex)
#   /usr/lib/sysusers.d/predictiondex.conf           the pdex system user (created by postinst)
#   /etc/predictiondex/pdex.env                      settings (conffile: local edits survive upgrades)
# The service runs from /usr/share/predictiondex (relative config paths resolve there) and keeps its
# database and models in /var/lib/predictiondex.
include(GNUInstallDirs)
# `cpack` / `ninja install` package what is built and do not build every test and benchmark first
# (scripts/build release builds them); a missing pdex fails the install with its path.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(PDEX_SHARE_DIR ${CMAKE_INSTALL_DATADIR}/predictiondex)

install(TARGETS pdex RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES data/lgpe-dex.json DESTINATION ${PDEX_SHARE_DIR}/data)
install(DIRECTORY configs/ DESTINATION ${PDEX_SHARE_DIR}/configs FILES_MATCHING PATTERN "*.json")
# The web app is built by npm (web/dist, git-ignored); a package built without it serves the API only.
if(NOT EXISTS ${CMAKE_SOURCE_DIR}/web/dist/index.html)
  message(STATUS "packaging: web/dist not built (npm run build:web): the package will not contain the web app")
endif()
install(DIRECTORY web/dist/ DESTINATION ${PDEX_SHARE_DIR}/web/dist OPTIONAL)
install(FILES README.md docs/packaging.md docs/scale-out.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/predictiondex)
install(FILES deploy/systemd/pdex.service DESTINATION lib/systemd/system)
install(FILES deploy/systemd/predictiondex.sysusers DESTINATION lib/sysusers.d RENAME predictiondex.conf)
install(FILES deploy/systemd/pdex.env DESTINATION /etc/predictiondex)

set(CPACK_PACKAGE_NAME predictiondex)
set(CPACK_PACKAGE_VENDOR "PredictionDex")
set(CPACK_PACKAGE_CONTACT "PredictionDex maintainers <pdex@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Pokemon Let's Go battle outcome predictions as a REST service")
set(CPACK_PACKAGE_DESCRIPTION
    "PredictionDex predicts who wins a 1-vs-1 battle in Pokemon: Let's Go from an LGPE battle engine and an\nXGBoost model, served over a secured REST API (pdex serve) with a web app.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/predictiondex/predictiondex")
# Library dependencies come from dpkg-shlibdeps on the built binary, so they match what it links.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Debug symbols stay in the build tree; the package carries the stripped binary.
set(CPACK_STRIP_FILES ON)
# systemd-sysusers creates the user in postinst; adduser is the fallback on systems without it.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/deploy/debian/conffiles ${CMAKE_SOURCE_DIR}/deploy/debian/postinst
    ${CMAKE_SOURCE_DIR}/deploy/debian/prerm ${CMAKE_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
