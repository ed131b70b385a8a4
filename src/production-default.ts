/**
 * Imported first by the API's entry point, before any library: libraries read NODE_ENV when they load, and
 * graphql-js in development mode checks every value's type across realms (its `instanceOf`), a few per cent of
 * a cold request's CPU. Unset means production; NODE_ENV=development keeps those checks and shows internal error
 * details to clients.
 */
if (!process.env.NODE_ENV) process.env.NODE_ENV = 'production';
