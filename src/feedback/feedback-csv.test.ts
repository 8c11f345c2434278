import { FeedbackCsvError, parseFeedbackCsv } from './feedback-csv';

describe('feedback CSV', () => {
  test('columns in any order, themes split on ;, quoted commas and a byte-order mark', () => {
    const text = '\uFEFFsummary,source,org_unit_code,external_id,received_on,theme_codes\r\n"Cold food, again",FRIENDS_AND_FAMILY_TEST,RTT-W,FFT-9,2026-05-01,FOOD; ENVIRONMENT\r\n\r\nOk,PALS,RTT-A,P-1,2026-05-02,COMMUNICATION\r\n';
    expect(parseFeedbackCsv(text)).toEqual({
      rows: [
        { orgUnitCode: 'RTT-W', source: 'FRIENDS_AND_FAMILY_TEST', externalId: 'FFT-9', receivedOn: '2026-05-01', themeCodes: ['FOOD', 'ENVIRONMENT'], summary: 'Cold food, again' },
        { orgUnitCode: 'RTT-A', source: 'PALS', externalId: 'P-1', receivedOn: '2026-05-02', themeCodes: ['COMMUNICATION'], summary: 'Ok' },
      ],
      lines: [2, 3],
    });
  });

  test.each([
    ['', /empty/],
    ['org_unit_code,source,external_id,received_on,summary\n', /missing theme_codes/],
    ['org_unit_code,source,external_id,received_on,theme_codes,summary,patient_name\n', /unknown patient_name/],
    ['org_unit_code,source,source,external_id,received_on,theme_codes,summary\n', /repeated source/],
    ['org_unit_code,source,external_id,received_on,theme_codes,summary\nRTT-A,PALS\n', /Not readable as CSV/],
    ['org_unit_code,source,external_id,received_on,theme_codes,summary\nRTT-A,PALS,"x,2026-01-01,FOOD,ok\n', /Not readable as CSV/],
  ])('%j is refused', (text, message) => {
    expect(() => parseFeedbackCsv(text)).toThrow(FeedbackCsvError);
    expect(() => parseFeedbackCsv(text)).toThrow(message);
  });
});
