[
  {
    "advocateProfileIntegrationId": "alice",
    "attributes": {},
    "campaignId": "<campaignId-1>",
    "code": "REF-0001",
    "created": "<created>",
    "id": "<id-1>",
    "usageCounter": 0,
    "usageLimit": 0
  },
  {
    "data": [
      {
        "advocateProfileIntegrationId": "bob",
        "attributes": {},
        "campaignId": "<campaignId-1>",
        "code": "REF-0002",
        "created": "<created>",
        "id": "<id-1>",
        "usageCounter": 0,
        "usageLimit": 1
      },
      {
        "advocateProfileIntegrationId": "carol",
        "attributes": {},
        "campaignId": "<campaignId-1>",
        "code": "REF-0003",
        "created": "<created>",
        "id": "<id-2>",
        "usageCounter": 0,
        "usageLimit": 1
      }
    ],
    "totalResultSize": 2
  },
  {
    "createdCoupons": [],
    "createdReferrals": [],
    "effects": [
      {
        "campaignId": "<campaignId-1>",
        "effectType": "acceptReferral",
        "props": {
          "value": "REF-0001"
        },
        "ruleIndex": 0,
        "ruleName": "Friend discount",
        "rulesetId": "<rulesetId-1>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "awaitsActivation": true,
          "name": "Points on request",
          "programId": "<programId-1>",
          "recipientIntegrationId": "heidi",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-1>",
          "validityDuration": "7D",
          "value": 4
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "expiryDate": "2026-01-31T00:00:00Z",
          "name": "Base points",
          "programId": "<programId-2>",
          "recipientIntegrationId": "heidi",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-2>",
          "value": 10
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "name": "Card points",
          "programId": "<programId-3>",
          "recipientIntegrationId": "heidi",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-3>",
          "value": 3
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "changeLoyaltyTierLevel",
        "props": {
          "newTierName": "Silver",
          "programId": "<programId-2>",
          "ruleTitle": "Points on every order",
          "subLedgerId": ""
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-2>"
      },
      {
        "campaignId": "<campaignId-1>",
        "effectType": "setDiscount",
        "props": {
          "name": "Friend discount",
          "scope": "cartItems",
          "value": 5
        },
        "ruleIndex": 0,
        "ruleName": "Friend discount",
        "rulesetId": "<rulesetId-1>"
      }
    ]
  }
]
