/* Shared by the C and C++ API test programs: one scenario through the whole pelkit C ABI.
 * Prints every input and output with %.17g so tests/c_api.rs recomputes each number with the
 * Rust library and compares. Exit code 0 only if every expected status was returned. */
#include <stdio.h>
#include <string.h>

#include "pelkit.h"

#define NATOMS 40

static int failures = 0;

static void expect_status(pelkit_status_t got, pelkit_status_t want, const char *what) {
    if (got != want) {
        printf("FAIL %s: status %d, expected %d (%s)\n", what, (int)got, (int)want, pelkit_last_error());
        failures++;
    }
}

static double next_uniform(unsigned long long *state) {
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) / 9007199254740992.0;
}

static int run_api_check(const char *data_path) {
    printf("version %s abi %u header_abi %d\n", pelkit_version(), (unsigned)pelkit_abi_version(), PELKIT_ABI_VERSION);
    if (pelkit_abi_version() != PELKIT_ABI_VERSION) failures++;

    pelkit_box_t box;
    memset(&box, 0, sizeof box);
    box.lo[0] = -1.0; box.lo[1] = 0.5; box.lo[2] = 2.0;
    box.hi[0] = 9.0;  box.hi[1] = 8.5; box.hi[2] = 14.0;
    box.tilt[0] = 4.9; box.tilt[1] = -3.7; box.tilt[2] = 3.9;
    box.periodic[0] = box.periodic[1] = box.periodic[2] = true;
    box.triclinic = true;
    printf("box %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g\n", box.lo[0], box.lo[1],
           box.lo[2], box.hi[0], box.hi[1], box.hi[2], box.tilt[0], box.tilt[1], box.tilt[2]);

    double positions[3 * NATOMS], wrapped[3 * NATOMS], unwrapped[3 * NATOMS], back[3 * NATOMS];
    int32_t types[NATOMS], images[3 * NATOMS];
    int64_t ids[NATOMS];
    unsigned long long seed = 2024;
    for (int i = 0; i < NATOMS; i++) {
        for (int d = 0; d < 3; d++) positions[3 * i + d] = 60.0 * next_uniform(&seed) - 25.0;
        types[i] = 1 + i % 2;
        ids[i] = 1000 - 7 * i;
    }
    for (int i = 0; i < 3 * NATOMS; i++) { wrapped[i] = positions[i]; images[i] = 0; }

    /* Wrap in place, then unwrap back with the box and with a system handle. */
    expect_status(pelkit_box_wrap(&box, wrapped, 3 * NATOMS, images, 3 * NATOMS), PELKIT_SUCCESS, "wrap");
    expect_status(pelkit_box_unwrap(&box, wrapped, 3 * NATOMS, images, 3 * NATOMS, unwrapped, 3 * NATOMS),
                  PELKIT_SUCCESS, "unwrap");
    pelkit_system_t *system = NULL;
    expect_status(pelkit_system_new(&box, types, NATOMS, wrapped, 3 * NATOMS, ids, NATOMS, &system),
                  PELKIT_SUCCESS, "system_new");
    expect_status(pelkit_system_set_images(system, images, 3 * NATOMS), PELKIT_SUCCESS, "set_images");
    expect_status(pelkit_system_unwrapped_positions(system, back, 3 * NATOMS), PELKIT_SUCCESS,
                  "system_unwrapped_positions");
    size_t natoms = 0;
    expect_status(pelkit_system_natoms(system, &natoms), PELKIT_SUCCESS, "natoms");
    printf("natoms %zu\n", natoms);
    for (int i = 0; i < NATOMS; i++) {
        printf("atom %.17g %.17g %.17g wrapped %.17g %.17g %.17g image %d %d %d unwrapped %.17g %.17g %.17g "
               "system %.17g %.17g %.17g\n",
               positions[3 * i], positions[3 * i + 1], positions[3 * i + 2], wrapped[3 * i], wrapped[3 * i + 1],
               wrapped[3 * i + 2], images[3 * i], images[3 * i + 1], images[3 * i + 2], unwrapped[3 * i],
               unwrapped[3 * i + 1], unwrapped[3 * i + 2], back[3 * i], back[3 * i + 1], back[3 * i + 2]);
    }

    /* Minimum-image distances between consecutive atoms. */
    size_t pairs[2 * (NATOMS - 1)];
    double distances[NATOMS - 1];
    for (int i = 0; i + 1 < NATOMS; i++) { pairs[2 * i] = (size_t)i; pairs[2 * i + 1] = (size_t)i + 1; }
    expect_status(pelkit_system_distances(system, pairs, 2 * (NATOMS - 1), distances, NATOMS - 1), PELKIT_SUCCESS,
                  "distances");
    for (int i = 0; i + 1 < NATOMS; i++) printf("distance %d %d %.17g\n", i, i + 1, distances[i]);

    /* set_positions keeps the handle and its size; a wrong length is refused. */
    expect_status(pelkit_system_set_positions(system, positions, 3 * NATOMS), PELKIT_SUCCESS, "set_positions");
    expect_status(pelkit_system_distances(system, pairs, 2, distances, 1), PELKIT_SUCCESS, "distances after set");
    printf("distance_after_set 0 1 %.17g\n", distances[0]);
    expect_status(pelkit_system_set_positions(system, positions, 3 * NATOMS - 1), PELKIT_INVALID_PARAMETER,
                  "set_positions wrong length");
    printf("error set_positions %s\n", pelkit_last_error());

    double volume = -1.0;
    expect_status(pelkit_box_volume(&box, &volume), PELKIT_SUCCESS, "volume");
    printf("volume %.17g\n", volume);

    /* Failures: NULL argument, degenerate box, index out of range. Out-params stay untouched. */
    pelkit_system_t *untouched = (pelkit_system_t *)&box;
    expect_status(pelkit_system_new(NULL, types, NATOMS, wrapped, 3 * NATOMS, NULL, 0, &untouched),
                  PELKIT_INVALID_PARAMETER, "system_new NULL box");
    printf("error null_box %s\n", pelkit_last_error());
    if (untouched != (pelkit_system_t *)&box) failures++;
    pelkit_box_t flat = box;
    flat.hi[1] = flat.lo[1];
    expect_status(pelkit_system_new(&flat, types, NATOMS, wrapped, 3 * NATOMS, NULL, 0, &untouched),
                  PELKIT_BOX_ERROR, "system_new degenerate box");
    printf("error degenerate_box %s\n", pelkit_last_error());
    if (untouched != (pelkit_system_t *)&box) failures++;
    size_t bad_pair[2] = {0, NATOMS};
    double sentinel = 12345.0;
    expect_status(pelkit_system_distances(system, bad_pair, 2, &sentinel, 1), PELKIT_INVALID_PARAMETER,
                  "distances out of range");
    printf("error out_of_range %s\n", pelkit_last_error());
    if (sentinel != 12345.0) failures++;
    expect_status(pelkit_system_natoms(NULL, &natoms), PELKIT_INVALID_PARAMETER, "natoms NULL");
    printf("error null_system %s\n", pelkit_last_error());

    /* Round trip through a LAMMPS data file: write, read back, same ids and positions. */
    expect_status(pelkit_system_set_positions(system, wrapped, 3 * NATOMS), PELKIT_SUCCESS, "set_positions back");
    expect_status(pelkit_system_write_data(system, data_path), PELKIT_SUCCESS, "write_data");
    pelkit_system_t *read_back = NULL;
    expect_status(pelkit_system_read(data_path, -1, &read_back), PELKIT_SUCCESS, "read");
    int64_t read_ids[NATOMS];
    double read_unwrapped[3 * NATOMS];
    expect_status(pelkit_system_ids(read_back, read_ids, NATOMS), PELKIT_SUCCESS, "ids");
    expect_status(pelkit_system_unwrapped_positions(read_back, read_unwrapped, 3 * NATOMS), PELKIT_SUCCESS,
                  "read unwrapped");
    for (int i = 0; i < NATOMS; i++)
        printf("read %lld %.17g %.17g %.17g\n", (long long)read_ids[i], read_unwrapped[3 * i],
               read_unwrapped[3 * i + 1], read_unwrapped[3 * i + 2]);
    pelkit_system_free(read_back);
    expect_status(pelkit_system_read("/nonexistent/pelkit.data", -1, &untouched), PELKIT_FORMAT_ERROR,
                  "read missing file");
    printf("error missing_file %s\n", pelkit_last_error());

    /* lj/cut 2.5 on the wrapped configuration: energy, per-atom energy, forces, virial. */
    const char *coeffs[2] = {"* * 1.0 1.0", "1 2 0.5 0.9"};
    pelkit_potential_t *lj = NULL;
    expect_status(pelkit_potential_new("lj/cut 2.5", coeffs, 2, NULL, 0, 2, &lj), PELKIT_SUCCESS, "lj new");
    double cutoff = 0.0, energy = 0.0, pe[NATOMS], forces[3 * NATOMS], virial[6];
    expect_status(pelkit_potential_cutoff(lj, &cutoff), PELKIT_SUCCESS, "cutoff");
    expect_status(pelkit_potential_evaluate(lj, system, &energy, pe, NATOMS, forces, 3 * NATOMS, virial, 6, NULL, 0),
                  PELKIT_SUCCESS, "evaluate");
    printf("lj cutoff %.17g energy %.17g virial %.17g %.17g %.17g %.17g %.17g %.17g\n", cutoff, energy, virial[0],
           virial[1], virial[2], virial[3], virial[4], virial[5]);
    for (int i = 0; i < NATOMS; i++)
        printf("lj_atom %d %.17g %.17g %.17g %.17g\n", i, pe[i], forces[3 * i], forces[3 * i + 1], forces[3 * i + 2]);
    expect_status(pelkit_potential_evaluate(lj, system, &energy, pe, NATOMS - 1, NULL, 0, NULL, 0, NULL, 0),
                  PELKIT_INVALID_PARAMETER, "evaluate wrong length");
    pelkit_potential_free(lj);
    pelkit_potential_t *missing = (pelkit_potential_t *)&box;
    const char *eam_coeff[1] = {"* * /nonexistent/CuZr.eam.fs Cu Zr"};
    expect_status(pelkit_potential_new("eam/fs", eam_coeff, 1, NULL, 0, 2, &missing), PELKIT_POTENTIAL_ERROR,
                  "eam missing file");
    printf("error missing_potential %s\n", pelkit_last_error());
    if (missing != (pelkit_potential_t *)&box) failures++;
    pelkit_potential_free(NULL);

    /* Voronoi cells of the 40 wrapped atoms (no thresholds, then an invalid threshold). */
    double cell_volumes[NATOMS];
    int32_t cell_faces[NATOMS], cell_indices[PELKIT_VORONOI_INDEX_WIDTH * NATOMS];
    expect_status(pelkit_system_voronoi(system, NULL, cell_volumes, NATOMS, cell_faces, NATOMS, cell_indices,
                                        PELKIT_VORONOI_INDEX_WIDTH * NATOMS),
                  PELKIT_SUCCESS, "voronoi");
    for (int i = 0; i < NATOMS; i++)
        printf("voronoi %d %.17g %d %d %d %d %d %d\n", i, cell_volumes[i], cell_faces[i], cell_indices[5 * i],
               cell_indices[5 * i + 1], cell_indices[5 * i + 2], cell_indices[5 * i + 3], cell_indices[5 * i + 4]);
    pelkit_voronoi_thresholds_t bad_thresholds = {-1.0, 0.0, 0.0};
    expect_status(pelkit_system_voronoi(system, &bad_thresholds, cell_volumes, NATOMS, cell_faces, NATOMS,
                                        cell_indices, PELKIT_VORONOI_INDEX_WIDTH * NATOMS),
                  PELKIT_ANALYSIS_ERROR, "voronoi bad threshold");
    printf("error bad_threshold %s\n", pelkit_last_error());

    /* D2min: the same atoms moved by up to 0.05 per axis, cutoff 2.9; and against itself. */
    double moved[3 * NATOMS];
    for (int i = 0; i < 3 * NATOMS; i++) moved[i] = wrapped[i] + 0.1 * next_uniform(&seed) - 0.05;
    pelkit_system_t *current = NULL;
    expect_status(pelkit_system_new(&box, types, NATOMS, moved, 3 * NATOMS, ids, NATOMS, &current), PELKIT_SUCCESS,
                  "current");
    int64_t d2_ids[NATOMS];
    double d2[NATOMS], shear[NATOMS], volumetric[NATOMS], d2_self[NATOMS];
    int32_t invalid[NATOMS];
    expect_status(pelkit_system_d2min(system, current, 2.9, 0, true, d2_ids, NATOMS, d2, NATOMS, shear, NATOMS,
                                      volumetric, NATOMS, invalid, NATOMS),
                  PELKIT_SUCCESS, "d2min");
    for (int i = 0; i < NATOMS; i++)
        printf("moved %d %.17g %.17g %.17g\n", i, moved[3 * i], moved[3 * i + 1], moved[3 * i + 2]);
    for (int i = 0; i < NATOMS; i++)
        printf("d2min %lld %.17g %.17g %.17g %d\n", (long long)d2_ids[i], d2[i], shear[i], volumetric[i], invalid[i]);
    expect_status(pelkit_system_d2min(system, system, 2.9, 0, true, d2_ids, NATOMS, d2_self, NATOMS, shear, NATOMS,
                                      volumetric, NATOMS, invalid, NATOMS),
                  PELKIT_SUCCESS, "d2min self");
    for (int i = 0; i < NATOMS; i++) printf("d2min_self %.17g\n", d2_self[i]);
    double d2_mean[NATOMS];
    int32_t d2_neighbors[NATOMS];
    expect_status(pelkit_system_atomic_strain(system, current, 2.9, 0, true, d2_ids, NATOMS, d2, NATOMS, d2_mean,
                                              NATOMS, shear, NATOMS, volumetric, NATOMS, d2_neighbors, NATOMS,
                                              invalid, NATOMS),
                  PELKIT_SUCCESS, "atomic_strain");
    for (int i = 0; i < NATOMS; i++)
        printf("strain %lld %.17g %.17g %.17g %.17g %d %d\n", (long long)d2_ids[i], d2[i], d2_mean[i], shear[i],
               volumetric[i], d2_neighbors[i], invalid[i]);
    expect_status(pelkit_system_d2min(system, current, 2.9, 7, true, d2_ids, NATOMS, d2, NATOMS, shear, NATOMS,
                                      volumetric, NATOMS, invalid, NATOMS),
                  PELKIT_INVALID_PARAMETER, "d2min bad mapping");
    printf("error bad_mapping %s\n", pelkit_last_error());
    expect_status(pelkit_system_d2min(system, current, 50.0, 0, true, d2_ids, NATOMS, d2, NATOMS, shear, NATOMS,
                                      volumetric, NATOMS, invalid, NATOMS),
                  PELKIT_ANALYSIS_ERROR, "d2min cutoff too large");
    printf("error big_cutoff %s\n", pelkit_last_error());

    /* D_min between the same two configurations (same box, same ids and types). */
    pelkit_dmin_summary_t dmin_summary;
    int64_t dmin_ids[NATOMS], dmin_partners[NATOMS];
    double dmin_displacements[3 * NATOMS];
    expect_status(pelkit_system_dmin(system, current, false, &dmin_summary, dmin_ids, NATOMS, dmin_partners, NATOMS,
                                     dmin_displacements, 3 * NATOMS),
                  PELKIT_SUCCESS, "dmin");
    printf("dmin_summary %.17g %.17g %zu %zu %d\n", dmin_summary.dmin, dmin_summary.rmsd, dmin_summary.natoms,
           dmin_summary.reassigned, dmin_summary.optimality_certified ? 1 : 0);
    for (int i = 0; i < NATOMS; i++)
        printf("dmin %lld %lld %.17g %.17g %.17g\n", (long long)dmin_ids[i], (long long)dmin_partners[i],
               dmin_displacements[3 * i], dmin_displacements[3 * i + 1], dmin_displacements[3 * i + 2]);
    expect_status(pelkit_system_dmin(system, current, false, NULL, dmin_ids, NATOMS, dmin_partners, NATOMS,
                                     dmin_displacements, 3 * NATOMS),
                  PELKIT_INVALID_PARAMETER, "dmin null summary");
    printf("error null_summary %s\n", pelkit_last_error());
    pelkit_system_free(current);

    pelkit_system_free(system);
    pelkit_system_free(NULL);
    printf("failures %d\n", failures);
    return failures == 0 ? 0 : 1;
}
