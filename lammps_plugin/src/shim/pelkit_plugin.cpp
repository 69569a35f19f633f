/* Registration of the pelkit styles with LAMMPS' plugin loader. The entry point
 * lammpsplugin_init is exported by the Rust crate (src/lib.rs) and calls
 * pelkit_lammps_register_styles below. lammpsplugin_t is declared here because the installed
 * LAMMPS headers do not ship lammpsplugin.h; the layout is the one of src/lammpsplugin.h. */
#include "compute_pelkit_d2min.h"
#include "compute_pelkit_dmin.h"
#include "compute_pelkit_pe_atom.h"
#include "compute_pelkit_probe.h"
#include "compute_pelkit_stress.h"
#include "compute_pelkit_unwrap.h"
#include "compute_pelkit_voronoi.h"
#include "fix_pelkit_dms.h"
#include "fix_pelkit_reference.h"
#include "pair_pelkit_eam.h"

#include "lammps.h"
#include "pelkit.h"

#include <string>

using namespace LAMMPS_NS;

extern "C" {
typedef void *(lammpsplugin_factory1)(void *);
typedef void *(lammpsplugin_factory2)(void *, int, char **);

typedef struct {
  const char *version;
  const char *style;
  const char *name;
  const char *info;
  const char *author;
  union {
    lammpsplugin_factory1 *v1;
    lammpsplugin_factory2 *v2;
  } creator;
  void *handle;
} lammpsplugin_t;

typedef void (*lammpsplugin_regfunc)(lammpsplugin_t *, void *);
}

static void *unwrap_creator(void *lmp, int argc, char **argv)
{
  return new ComputePelkitUnwrap(static_cast<LAMMPS *>(lmp), argc, argv);
}

static void *pe_atom_creator(void *lmp, int argc, char **argv)
{
  return new ComputePelkitPeAtom(static_cast<LAMMPS *>(lmp), argc, argv);
}

static void *stress_creator(void *lmp, int argc, char **argv)
{
  return new ComputePelkitStress(static_cast<LAMMPS *>(lmp), argc, argv);
}

static void *probe_creator(void *lmp, int argc, char **argv)
{
  return new ComputePelkitProbe(static_cast<LAMMPS *>(lmp), argc, argv);
}

static void *dmin_creator(void *lmp, int argc, char **argv)
{
  return new ComputePelkitDmin(static_cast<LAMMPS *>(lmp), argc, argv);
}

static void *d2min_creator(void *lmp, int argc, char **argv)
{
  return new ComputePelkitD2min(static_cast<LAMMPS *>(lmp), argc, argv);
}

static void *voronoi_creator(void *lmp, int argc, char **argv)
{
  return new ComputePelkitVoronoi(static_cast<LAMMPS *>(lmp), argc, argv);
}

static void *reference_fix_creator(void *lmp, int argc, char **argv)
{
  return new FixPelkitReference(static_cast<LAMMPS *>(lmp), argc, argv);
}

static void *dms_fix_creator(void *lmp, int argc, char **argv)
{
  return new FixPelkitDms(static_cast<LAMMPS *>(lmp), argc, argv);
}

static void *pair_eam_creator(void *lmp)
{
  return new PairPelkitEAM(static_cast<LAMMPS *>(lmp));
}

extern "C" void pelkit_lammps_register_styles(void *lmp, void *handle, void *regfunc)
{
  static const std::string unwrap_info = std::string("compute pelkit/unwrap (pelkit ") +
      pelkit_version() + "): unwrapped coordinates via the pelkit C ABI";
  auto *reg = reinterpret_cast<lammpsplugin_regfunc>(regfunc);
  lammpsplugin_t plugin;
  plugin.version = static_cast<LAMMPS *>(lmp)->version;
  plugin.style = "compute";
  plugin.name = "pelkit/unwrap";
  plugin.info = unwrap_info.c_str();
  plugin.author = "pelkit developers";
  plugin.creator.v2 = &unwrap_creator;
  plugin.handle = handle;
  (*reg)(&plugin, lmp);

  static const std::string pe_atom_info = std::string("compute pelkit/pe/atom (pelkit ") +
      pelkit_version() + "): EAM per-atom energy via the pelkit C ABI";
  plugin.name = "pelkit/pe/atom";
  plugin.info = pe_atom_info.c_str();
  plugin.creator.v2 = &pe_atom_creator;
  (*reg)(&plugin, lmp);

  static const std::string voronoi_info = std::string("compute pelkit/voronoi (pelkit ") +
      pelkit_version() + "): Voronoi volume, faces and index via the pelkit C ABI";
  plugin.name = "pelkit/voronoi";
  plugin.info = voronoi_info.c_str();
  plugin.creator.v2 = &voronoi_creator;
  (*reg)(&plugin, lmp);

  static const std::string stress_info = std::string("compute pelkit/stress (pelkit ") +
      pelkit_version() + "): EAM atomic-level stress / Voronoi volume via the pelkit C ABI";
  plugin.name = "pelkit/stress";
  plugin.info = stress_info.c_str();
  plugin.creator.v2 = &stress_creator;
  (*reg)(&plugin, lmp);

  static const std::string probe_info = std::string("compute pelkit/probe (pelkit ") +
      pelkit_version() + "): single-atom probes Omega(dE_atom<0)/4pi, min dE_atom via the pelkit C ABI";
  plugin.name = "pelkit/probe";
  plugin.info = probe_info.c_str();
  plugin.creator.v2 = &probe_creator;
  (*reg)(&plugin, lmp);

  static const std::string dmin_info = std::string("compute pelkit/dmin (pelkit ") +
      pelkit_version() + "): exact IS minimal displacement D_min via the pelkit C ABI";
  plugin.name = "pelkit/dmin";
  plugin.info = dmin_info.c_str();
  plugin.creator.v2 = &dmin_creator;
  (*reg)(&plugin, lmp);

  static const std::string d2min_info = std::string("compute pelkit/d2min (pelkit ") +
      pelkit_version() + "): Falk-Langer D2min and atomic strain via the pelkit C ABI";
  plugin.name = "pelkit/d2min";
  plugin.info = d2min_info.c_str();
  plugin.creator.v2 = &d2min_creator;
  (*reg)(&plugin, lmp);

  static const std::string reference_info = std::string("fix pelkit/reference (pelkit ") +
      pelkit_version() + "): stored reference configuration of compute pelkit/dmin and d2min";
  plugin.style = "fix";
  plugin.name = "pelkit/reference";
  plugin.info = reference_info.c_str();
  plugin.creator.v2 = &reference_fix_creator;
  (*reg)(&plugin, lmp);

  static const std::string dms_info = std::string("fix pelkit/dms (pelkit ") +
      pelkit_version() + "): MD-DMS fit of G', G'', delta from the shear stress via the pelkit C ABI";
  plugin.name = "pelkit/dms";
  plugin.info = dms_info.c_str();
  plugin.creator.v2 = &dms_fix_creator;
  (*reg)(&plugin, lmp);

  static const std::string pair_eam_info = std::string("pair pelkit/eam (pelkit ") +
      pelkit_version() + "): eam/alloy and eam/fs over LAMMPS' half list via the pelkit C ABI";
  plugin.style = "pair";
  plugin.name = "pelkit/eam";
  plugin.info = pair_eam_info.c_str();
  plugin.creator.v1 = &pair_eam_creator;
  (*reg)(&plugin, lmp);
}
