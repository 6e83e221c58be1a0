/** The loopback ports of SonarQube's browser token handshake: the server's page accepts only these. */
export const HANDSHAKE_PORTS: readonly number[] = Array.from({ length: 11 }, (_, index) => 64120 + index);
