/**
 * A DNS-1123 label, as Kubernetes requires of namespace names and most object names (at most 63
 * characters, checked separately).
 * @public
 */
export const DNS_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A DNS-1123 subdomain: dot-separated DNS labels (hostnames, most object names).
 * @public
 */
export const DNS_SUBDOMAIN_PATTERN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
