// The pelkit C ABI used from C++17 (see api_check.h), plus an RAII owner of the handle.
#include <memory>
#include <stdexcept>
#include <string>

#include "api_check.h"

namespace {
struct SystemDeleter {
    void operator()(pelkit_system_t *s) const { pelkit_system_free(s); }
};
using SystemPtr = std::unique_ptr<pelkit_system_t, SystemDeleter>;

void check(pelkit_status_t status) {
    if (status != PELKIT_SUCCESS) throw std::runtime_error(std::string("pelkit: ") + pelkit_last_error());
}
}  // namespace

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    int rc = run_api_check(argv[1]);
    pelkit_box_t box{};
    for (int d = 0; d < 3; d++) {
        box.hi[d] = 4.0;
        box.periodic[d] = true;
    }
    const int32_t types[2] = {1, 1};
    const double x[6] = {0.5, 0.5, 0.5, 3.5, 3.5, 3.5};
    pelkit_system_t *raw = nullptr;
    check(pelkit_system_new(&box, types, 2, x, 6, nullptr, 0, &raw));
    SystemPtr system(raw);
    const size_t pair[2] = {0, 1};
    double distance = 0.0;
    check(pelkit_system_distances(system.get(), pair, 2, &distance, 1));
    std::printf("cpp_cube_distance %.17g\n", distance);
    try {
        check(pelkit_system_distances(system.get(), pair, 2, &distance, 2));
        rc = 1;
    } catch (const std::runtime_error &e) {
        std::printf("cpp_exception %s\n", e.what());
    }
    return rc;
}
