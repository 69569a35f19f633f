/* pair_style pelkit/eam [eam/alloy|eam/fs]; pair_coeff * * FILE El1 … ElN: the EAM potential of
 * a setfl (eam/alloy) or Finnis–Sinclair (eam/fs) file evaluated by pelkit over LAMMPS' own half
 * neighbor list, with the same energies, forces, virial and per-atom energy/virial as the
 * LAMMPS style of that file. The three passes of PairEAM::compute run in Rust; this class only
 * converts arrays, calls them and does the communication between them. units metal only. */
#ifndef LMP_PAIR_PELKIT_EAM_H
#define LMP_PAIR_PELKIT_EAM_H

#include "pair.h"

#include "pelkit.h"

#include <string>

namespace LAMMPS_NS {

class PairPelkitEAM : public Pair {
 public:
  PairPelkitEAM(class LAMMPS *);
  ~PairPelkitEAM() override;
  void compute(int, int) override;
  void settings(int, char **) override;
  void coeff(int, char **) override;
  void init_style() override;
  double init_one(int, int) override;
  int pack_forward_comm(int, int *, double *, int, int *) override;
  void unpack_forward_comm(int, int, double *) override;
  int pack_reverse_comm(int, int, double *) override;
  void unpack_reverse_comm(int, int *, double *) override;
  double memory_usage() override;

 private:
  pelkit_pair_eam_t *eam;
  std::string format;    // "" = detect from the file, else "eam/alloy" or "eam/fs"
  double cutmax;
  int nmax;
  double *rho, *fp;
  int warned_rhomax;
  void allocate();
};

}    // namespace LAMMPS_NS

#endif
