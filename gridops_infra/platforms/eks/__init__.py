"""EksCluster: the EKS platform (control plane, compute, add-ons, identity, operators)."""
