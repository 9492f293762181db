[
  {
    "createdCoupons": [],
    "createdReferrals": [],
    "customerProfile": {
      "accountId": "<accountId-1>",
      "attributes": {
        "tier": "gold"
      },
      "closedSessions": 0,
      "created": "<created>",
      "id": "<id-1>",
      "integrationId": "erin",
      "lastActivity": "<lastActivity>",
      "sandbox": true,
      "totalSales": 0
    },
    "effects": [
      {
        "campaignId": "<campaignId-1>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "awaitsActivation": true,
          "name": "Points on request",
          "programId": "<programId-1>",
          "recipientIntegrationId": "erin",
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
          "recipientIntegrationId": "erin",
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
          "recipientIntegrationId": "erin",
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
    "integrationStates": [
      {
        "customerProfile": {
          "accountId": "<accountId-1>",
          "attributes": {},
          "closedSessions": 0,
          "created": "<created>",
          "id": "<id-1>",
          "integrationId": "frank",
          "lastActivity": "<lastActivity>",
          "sandbox": true,
          "totalSales": 0
        }
      },
      {
        "customerProfile": {
          "accountId": "<accountId-1>",
          "attributes": {},
          "closedSessions": 0,
          "created": "<created>",
          "id": "<id-2>",
          "integrationId": "grace",
          "lastActivity": "<lastActivity>",
          "sandbox": true,
          "totalSales": 0
        }
      }
    ]
  },
  {
    "createdCoupons": [
      {
        "attributes": {},
        "campaignId": "<campaignId-1>",
        "created": "<created>",
        "id": "<id-1>",
        "isReservationMandatory": false,
        "recipientIntegrationId": "erin",
        "reservation": true,
        "usageCounter": 0,
        "usageLimit": 1,
        "value": "WELCOME-0001"
      }
    ],
    "createdReferrals": [],
    "effects": [
      {
        "campaignId": "<campaignId-1>",
        "effectType": "addLoyaltyPoints",
        "props": {
          "awaitsActivation": true,
          "name": "Points on request",
          "programId": "<programId-1>",
          "recipientIntegrationId": "erin",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-4>",
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
          "recipientIntegrationId": "erin",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-5>",
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
          "recipientIntegrationId": "erin",
          "subLedgerId": "",
          "transactionUUID": "<transactionUUID-6>",
          "value": 3
        },
        "ruleIndex": 0,
        "ruleName": "Points on every order",
        "rulesetId": "<rulesetId-1>"
      },
      {
        "campaignId": "<campaignId-2>",
        "effectType": "couponCreated",
        "props": {
          "profileId": "erin",
          "value": "WELCOME-0001"
        },
        "ruleIndex": 0,
        "ruleName": "Welcome coupon",
        "rulesetId": "<rulesetId-2>"
      }
    ]
  },
  {
    "coupons": [],
    "giveaways": [
      {
        "attributes": {},
        "code": "GIFT-0001",
        "created": "<created>",
        "id": "<id-1>",
        "poolId": "<poolId-1>",
        "profileId": "<profileId-1>",
        "profileIntegrationId": "alice",
        "used": false
      }
    ],
    "loyalty": {
      "programs": {
        "1": {
          "id": "<id-1>",
          "joinDate": "<joinDate>",
          "ledger": {
            "currentBalance": 0,
            "expiredBalance": 0,
            "negativeBalance": 0,
            "nextTierName": "Silver",
            "pendingBalance": 0,
            "pointsToNextTier": 5,
            "spentBalance": 0,
            "tentativeCurrentBalance": 0,
            "tentativePendingBalance": 0
          },
          "name": "Points",
          "subLedgers": {
            "drinks": {
              "currentBalance": 7,
              "currentTier": {
                "id": "<id-1>",
                "name": "Silver"
              },
              "expiredBalance": 0,
              "negativeBalance": 0,
              "nextTierName": "Gold",
              "pendingBalance": 0,
              "pointsToNextTier": 493,
              "spentBalance": 0,
              "tentativeCurrentBalance": 7,
              "tentativePendingBalance": 0
            }
          },
          "title": "Points"
        }
      }
    },
    "profile": {
      "accountId": "<accountId-1>",
      "attributes": {},
      "audienceMemberships": [
        {
          "id": "<id-1>",
          "name": "Newsletter"
        }
      ],
      "closedSessions": 0,
      "created": "<created>",
      "id": "<id-1>",
      "integrationId": "alice",
      "lastActivity": "<lastActivity>",
      "sandbox": true,
      "totalSales": 0
    }
  }
]
