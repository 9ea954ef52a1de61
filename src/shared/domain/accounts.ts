// Account vocabulary shared by the node and the renderer.

/** Usernames: 2–32 letters, digits, dot, dash or underscore. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{2,32}$/;
