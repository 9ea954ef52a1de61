// The city's divisions: the shared division table (src/shared/geo/divisions.ts), which the street
// node reads too when a real street is set up.

export { districtName, districtNames, inDistrict, streetName } from '../shared/geo/divisions';
