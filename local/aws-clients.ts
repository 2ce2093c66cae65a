// The clients moved to the wiring; kept so files of other branches (bench/chaos, local/deployed) still import them from here.
export {
  type AwsClients,
  type AwsEndpoints,
  awsClients,
  LOCAL_CREDENTIALS,
} from '../shared/wiring/aws-clients.ts';
