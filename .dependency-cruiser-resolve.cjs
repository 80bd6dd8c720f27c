// Resolve options for dependency-cruiser (read as a webpack config's `resolve`): ignore package.json's
// "imports" (#src/* -> ./dist/*, for Node at run time) so that #src/ resolves through tsconfig's paths
// to the sources, also when a build has left dist/ behind.
module.exports = { resolve: { importsFields: [] } };
