#ifndef BULWARK_CHIREDIS_SHIM_H
#define BULWARK_CHIREDIS_SHIM_H
// Debian's libhiredis-dev installs its headers under <hiredis/…>; pkg-config adds that folder.
#include <hiredis/hiredis.h>
#endif
