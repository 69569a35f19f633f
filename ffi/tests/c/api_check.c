/* The pelkit C ABI used from C99 (see api_check.h). */
#include "api_check.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s DATA_FILE\n", argv[0]);
        return 2;
    }
    return run_api_check(argv[1]);
}
