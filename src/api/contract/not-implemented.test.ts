import { after, before, describe, test } from 'node:test';
import { GetBehaviorModelTrainingSummariesCommand } from '@aws-sdk/client-iot';
import { TestWarden } from '../../testing/harness.ts';
import { ContractClient } from './contract-client.ts';

describe('operations Warden does not implement', () => {
  let warden: TestWarden;
  let iot: ContractClient;

  before(async () => {
    warden = await TestWarden.start();
    iot = new ContractClient(warden.endpoints.http);
  });

  after(async () => {
    await warden?.stop();
  });

  test('GetBehaviorModelTrainingSummaries names itself and the reason', async () => {
    await iot.expectError(
      iot.send(new GetBehaviorModelTrainingSummariesCommand({ securityProfileName: 'ml' })),
      'InvalidRequestException',
      'GetBehaviorModelTrainingSummaries is not implemented by Warden: ML Detect behaviors are stored and validated, but no models are trained',
    );
  });
});
