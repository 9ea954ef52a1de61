// Where a whistle session's page lives.


export const whistlePath = (id: string) => `/whistle/${encodeURIComponent(id)}`;

// ---------------------------------------------------------------------------------------------
// List
