// The released version, as package.json gives it (a test keeps the two equal):
// the bundles carry no package.json to read it from.
export const VERSION = '1.0.0'
