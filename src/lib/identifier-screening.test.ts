import { describeFindings, findIdentifiers, isValidNhsNumber, type IdentifierKind } from './identifier-screening';

const kinds = (text: string): IdentifierKind[] => findIdentifiers(text).map((f) => f.kind);

describe('NHS number check digit (modulus 11), worked by hand', () => {
  test.each([
    // 9 4 3 4 7 6 5 9 1 × 10..2 = 90+36+24+28+42+30+20+27+2 = 299; 299 mod 11 = 2; 11 − 2 = 9 → valid with 9
    ['9434765919', true],
    ['9434765918', false],
    // 4 0 1 0 2 3 2 1 3 × 10..2 = 40+0+8+0+12+15+8+3+6 = 92; 92 mod 11 = 4; 11 − 4 = 7 → valid with 7
    ['4010232137', true],
    ['4010232138', false],
    // 1..9 × 10..2 = 210; 210 mod 11 = 1; 11 − 1 = 10 → no valid check digit: never an NHS number
    ['1234567890', false],
    ['1234567891', false],
    // 0 × … + 1 × 2 = 2; 2 mod 11 = 2; 11 − 2 = 9 → 0000000019 is valid (a check digit of 11 → 0 below)
    ['0000000019', true],
    // 9 × 10 + 0… + 2 × 2 = 94; 94 mod 11 = 6; 11 − 6 = 5 → 9000000025 valid
    ['9000000025', true],
    // Σ = 0 → 0 mod 11 = 0 → 11 − 0 = 11 → check digit 0: 0000000000 passes the arithmetic
    ['0000000000', true],
    ['943476591', false],
    ['94347659190', false],
  ])('%s → %s', (digits, valid) => {
    expect(isValidNhsNumber(digits)).toBe(valid);
  });
});

describe('findIdentifiers', () => {
  test.each([
    // NHS numbers, in the forms people write them
    ['Patient 943 476 5919 said the ward was noisy', ['NHS_NUMBER']],
    ['ref 9434765919.', ['NHS_NUMBER']],
    ['NHS no: 943-476-5919', ['NHS_NUMBER']],
    ['401 023 2137 and 943 476 5919', ['NHS_NUMBER']],
    // phones
    ['Call me on 07700 900123 please', ['PHONE_NUMBER']],
    ['mobile 07700900123', ['PHONE_NUMBER']],
    ['+44 7700 900123', ['PHONE_NUMBER']],
    ['+44 (0)20 7946 0958', ['PHONE_NUMBER']],
    ['(020) 7946 0958', ['PHONE_NUMBER']],
    ['tel 0161-496-0000', ['PHONE_NUMBER']],
    ['01632 960001', ['PHONE_NUMBER']],
    // emails
    ['write to jo.bloggs@example.nhs.uk', ['EMAIL_ADDRESS']],
    ['JANE+ward@mail.example.com asked', ['EMAIL_ADDRESS']],
    // postcodes
    ['lives near SW1A 1AA', ['POSTCODE']],
    ['m1 1ae', ['POSTCODE']],
    ['NW10 7NS', ['POSTCODE']],
    ['EC1A1BB', ['POSTCODE']],
    ['B33 8TH.', ['POSTCODE']],
    // several at once, in a fixed order
    ['jo@example.org, 07700 900123, SW1A 1AA, 943 476 5919', ['NHS_NUMBER', 'PHONE_NUMBER', 'EMAIL_ADDRESS', 'POSTCODE']],
  ])('%s → %j', (text, expected) => {
    expect(kinds(text)).toEqual(expected);
  });

  test.each([
    // false-positive guards: ten digits failing the check digit are not an NHS number
    ['order 1234567890 was late'],
    ['case 9434765918'],
    ['943 476 5918'],
    // dates, years, times, amounts, counts
    ['In 2024 the ward changed'],
    ['on 2024-01-15 and 15/01/2024'],
    ['from 01/02/2024 to 28.02.2024'],
    ['at 10:30, 3am and 5pm'],
    ['£1,250.00 spent on 12 chairs'],
    ['Ward 3B and bay 12A'],
    ['we saw 24 of 30 people (80%)'],
    ['version 2.0.1 of the leaflet'],
    // not a UK phone: too short, too long, or not a UK prefix
    ['room 0123'],
    ['extension 01234 5678901234'],
    ['code 0044'],
    // an @ that is not an address
    ['@ward_team on the intranet'],
    // a number inside a longer run of digits is not an NHS number
    ['serial 19434765919'],
    [''],
    ['Staff were kind and listened; the food was cold.'],
  ])('%s → none', (text) => {
    expect(kinds(text)).toEqual([]);
  });

  test('counts repeats and never returns the text found', () => {
    const findings = findIdentifiers('943 476 5919 and 401 023 2137, SW1A 1AA');
    expect(findings).toEqual([
      { kind: 'NHS_NUMBER', count: 2 },
      { kind: 'POSTCODE', count: 1 },
    ]);
    const words = describeFindings(findings);
    expect(words).toBe('2 × NHS number and a postcode');
    expect(words).not.toMatch(/\d{3}|SW1A/);
    expect(describeFindings([{ kind: 'EMAIL_ADDRESS', count: 1 }])).toBe('an email address');
    expect(describeFindings([])).toBe('');
  });
});
