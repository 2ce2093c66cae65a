/**
 * The credentials the simulator accepts. Not secrets: they only open the simulator.
 *
 * @example
 * const { clientId, clientSecret, customerId } = SIMULATOR_CREDENTIALS.zpa;
 */
export const SIMULATOR_CREDENTIALS: {
  zpa: { customerId: string; clientId: string; clientSecret: string; vanityDomain: string };
  ztw: { username: string; password: string; apiKey: string };
} = {
  zpa: {
    // The customer id of the docs' App Connector examples; generated tenants use it too.
    customerId: '217246660302995456',
    clientId: 'zcops-sim-client-id',
    clientSecret: 'zcops-sim-client-secret',
    vanityDomain: 'zcops-sim',
  },
  ztw: {
    username: 'zcops-automation@sim.zscaler.example',
    password: 'Sim-Passw0rd!',
    apiKey: 'Qx7Rk2Mv9Tb4Wn8Zc3Lp',
  },
};

/** The Cloud & Branch Connector organisation id of the simulated tenant. */
export const SIMULATOR_ZTW_ORG_ID = '24326813';

/** The audience OneAPI tokens must ask for. */
export const ONEAPI_AUDIENCE = 'https://api.zscaler.com';
