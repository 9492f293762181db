[
  {
    "balance": {
      "activePoints": 0,
      "expiredPoints": 0,
      "negativePoints": 0,
      "pendingPoints": 0,
      "projectedTier": {
        "projectedActivePoints": 0,
        "stayInTierPoints": 0
      },
      "spentPoints": 0
    },
    "subledgerBalances": {
      "drinks": {
        "activePoints": 7,
        "expiredPoints": 0,
        "negativePoints": 0,
        "pendingPoints": 0,
        "projectedTier": {
          "projectedActivePoints": 7,
          "projectedTierName": "Silver",
          "stayInTierPoints": 0
        },
        "spentPoints": 0
      }
    }
  },
  {
    "createdCoupons": [],
    "createdReferrals": [],
    "effects": [
      {
        "campaignId": "<campaignId-1>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "awaitsActivation": true,
          "name": "Points on request",
          "programId": "<programId-1>",
          "recipientIntegrationId": "alice",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-1>",
          "validityDuration": "7D",
          "value": 4
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-1>"
      },
      {
        "campaignId": "<campaignId-1>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "expiryDate": "2026-01-31T00:00:00Z",
          "name": "Base points",
          "programId": "<programId-2>",
          "recipientIntegrationId": "alice",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-2>",
          "value": 10
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-1>"
      },
      {
        "campaignId": "<campaignId-1>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "name": "Card points",
          "programId": "<programId-3>",
          "recipientIntegrationId": "alice",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-3>",
          "value": 3
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-1>"
      },
      {
        "campaignId": "<campaignId-1>",
        "effectType": "changeLoyaltyTierLevel",
        "props": {
          "newTierName": "Silver",
          "programId": "<programId-2>",
          "ruleTitle": "Points on every order",
          "subLedgerId": ""
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-1>"
      }
    ]
  },
  {
    "ledgerEntries": [
      {
        "amount": 4,
        "created": "<created>",
        "customerProfileID": "alice",
        "customerSessionID": "c-order-4",
        "expiryDate": "2026-01-08T00:00:00Z",
        "name": "Points on request",
        "programID": "<programID-1>",
        "startDate": "2026-01-01T00:00:00Z",
        "subLedgerID": "",
        "type": "addition",
        "validityDuration": "7D"
      }
    ]
  },
  {
    "balance": {
      "activePoints": 10,
      "currentTier": {
        "id": "<id-1>",
        "name": "Silver"
      },
      "expiredPoints": 0,
      "negativePoints": 0,
      "nextTierName": "Gold",
      "pendingPoints": 0,
      "pointsToNextTier": 490,
      "projectedTier": {
        "projectedActivePoints": 10,
        "projectedTierName": "Silver",
        "stayInTierPoints": 0
      },
      "spentPoints": 0
    },
    "subledgerBalances": {
      "drinks": {
        "activePoints": 7,
        "currentTier": {
          "id": "<id-1>",
          "name": "Silver"
        },
        "expiredPoints": 0,
        "negativePoints": 0,
        "nextTierName": "Gold",
        "pendingPoints": 0,
        "pointsToNextTier": 493,
        "projectedTier": {
          "projectedActivePoints": 7,
          "projectedTierName": "Silver",
          "stayInTierPoints": 0
        },
        "spentPoints": 0
      }
    }
  },
  {
    "data": [
      {
        "amount": 10,
        "created": "<created>",
        "customerSessionId": "c-order-4",
        "expiryDate": "2026-01-31T00:00:00Z",
        "id": "<id-1>",
        "name": "Base points",
        "programId": "<programId-1>",
        "startDate": "immediate",
        "subledgerId": "",
        "transactionUUID": "<transactionUUID-1>",
        "type": "addition"
      },
      {
        "amount": 7,
        "created": "<created>",
        "expiryDate": "2026-06-01T00:00:00Z",
        "id": "<id-2>",
        "name": "Imported points",
        "programId": "<programId-1>",
        "startDate": "immediate",
        "subledgerId": "drinks",
        "transactionUUID": "<transactionUUID-2>",
        "type": "addition"
      }
    ],
    "hasMore": false
  },
  {
    "data": [
      {
        "amount": 7,
        "created": "<created>",
        "expiryDate": "2026-06-01T00:00:00Z",
        "id": "<id-2>",
        "name": "Imported points",
        "programId": "<programId-1>",
        "startDate": "immediate",
        "subledgerId": "drinks",
        "transactionUUID": "<transactionUUID-2>"
      },
      {
        "amount": 10,
        "created": "<created>",
        "customerSessionId": "c-order-4",
        "expiryDate": "2026-01-31T00:00:00Z",
        "id": "<id-1>",
        "name": "Base points",
        "programId": "<programId-1>",
        "startDate": "immediate",
        "subledgerId": "",
        "transactionUUID": "<transactionUUID-1>"
      }
    ],
    "hasMore": false
  },
  {
    "balance": {
      "activePoints": 10,
      "expiredPoints": 0,
      "negativePoints": 0,
      "pendingPoints": 0,
      "spentPoints": 0
    },
    "subledgerBalances": {
      "drinks": {
        "activePoints": 0,
        "expiredPoints": 0,
        "negativePoints": 0,
        "pendingPoints": 0,
        "spentPoints": 0
      }
    }
  }
]
