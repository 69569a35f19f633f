/* The pelkit C ABI used from C99 (see api_check.h). */
#include "api_check.h"

int main(void) { return run_api_check(); }
