[
  {
    "coupon": {
      "attributes": {},
      "campaignId": "<campaignId-1>",
      "created": "<created>",
      "id": "<id-1>",
      "isReservationMandatory": false,
      "reservation": true,
      "usageCounter": 0,
      "usageLimit": 0,
      "value": "SUMMER-10"
    },
    "event": {
      "applicationId": "<applicationId-1>",
      "attributes": {},
      "created": "<created>",
      "effects": [
        {
          "campaignId": "<campaignId-1>",
          "effectType": "acceptCoupon",
          "props": {
            "value": "SUMMER-10"
          },
          "ruleIndex": 0,
          "ruleName": "Ten percent off",
          "rulesetId": "<rulesetId-1>",
          "triggeredByCoupon": "<triggeredByCoupon-1>"
        },
        {
          "campaignId": "<campaignId-2>",
          "effectType": "addLoyaltyPoints",
          "props": {
            "awaitsActivation": true,
            "name": "Points on request",
            "programId": "<programId-1>",
            "recipientIntegrationId": "olga",
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
            "recipientIntegrationId": "olga",
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
            "recipientIntegrationId": "olga",
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
            "name": "10% off",
            "scope": "cartItems",
            "value": 6
          },
          "ruleIndex": 0,
          "ruleName": "Ten percent off",
          "rulesetId": "<rulesetId-1>",
          "triggeredByCoupon": "<triggeredByCoupon-1>"
        }
      ],
      "id": "<id-1>",
      "ledgerEntries": [],
      "profileId": "olga",
      "sessionId": "c-v1",
      "type": "talon_session_created"
    },
    "loyalty": {
      "programs": {
        "1": {
          "id": "<id-1>",
          "ledger": {
            "currentBalance": 0,
            "expiredBalance": 0,
            "pendingBalance": 0,
            "pointsToNextTier": 5,
            "spentBalance": 0,
            "tentativeCurrentBalance": 10,
            "tentativePendingBalance": 0
          },
          "name": "Points",
          "subLedgers": {
            "drinks": {
              "currentBalance": 0,
              "expiredBalance": 0,
              "pendingBalance": 0,
              "pointsToNextTier": 5,
              "spentBalance": 0,
              "tentativeCurrentBalance": 0,
              "tentativePendingBalance": 0
            }
          },
          "title": "Points"
        },
        "2": {
          "id": "<id-1>",
          "ledger": {
            "currentBalance": 0,
            "expiredBalance": 0,
            "pendingBalance": 0,
            "spentBalance": 0,
            "tentativeCurrentBalance": 0,
            "tentativePendingBalance": 4
          },
          "name": "Later",
          "title": "Later"
        }
      }
    },
    "profile": {
      "accountId": "<accountId-1>",
      "attributes": {},
      "closedSessions": 0,
      "created": "<created>",
      "id": "<id-1>",
      "integrationId": "olga",
      "lastActivity": "<lastActivity>",
      "sandbox": true,
      "totalSales": 0
    },
    "session": {
      "applicationId": "<applicationId-1>",
      "attributes": {},
      "cartItems": [
        {
          "name": "Shirt",
          "position": 0,
          "price": 30,
          "quantity": 2,
          "sku": "SHIRT-1"
        }
      ],
      "coupon": "SUMMER-10",
      "created": "<created>",
      "discounts": {
        "10% off": 6
      },
      "firstSession": true,
      "integrationId": "c-v1",
      "profileId": "olga",
      "referral": "",
      "state": "open",
      "total": 60
    }
  },
  {
    "event": {
      "applicationId": "<applicationId-1>",
      "attributes": {},
      "created": "<created>",
      "effects": [
        {
          "campaignId": "<campaignId-2>",
          "effectType": "addLoyaltyPoints",
          "props": {
            "awaitsActivation": true,
            "name": "Points on request",
            "programId": "<programId-1>",
            "recipientIntegrationId": "olga",
            "subLedgerId": "",
            "transactionUUID": "<transactionUUID-4>",
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
            "recipientIntegrationId": "olga",
            "subLedgerId": "",
            "transactionUUID": "<transactionUUID-5>",
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
            "recipientIntegrationId": "olga",
            "subLedgerId": "",
            "transactionUUID": "<transactionUUID-6>",
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
        }
      ],
      "id": "<id-2>",
      "ledgerEntries": [],
      "profileId": "olga",
      "sessionId": "c-v1",
      "type": "visit"
    },
    "loyalty": {
      "programs": {
        "1": {
          "id": "<id-1>",
          "ledger": {
            "currentBalance": 10,
            "currentTier": {
              "id": "<id-1>",
              "name": "Silver"
            },
            "expiredBalance": 0,
            "pendingBalance": 0,
            "pointsToNextTier": 490,
            "spentBalance": 0,
            "tentativeCurrentBalance": 20,
            "tentativePendingBalance": 0
          },
          "name": "Points",
          "subLedgers": {
            "drinks": {
              "currentBalance": 0,
              "expiredBalance": 0,
              "pendingBalance": 0,
              "pointsToNextTier": 5,
              "spentBalance": 0,
              "tentativeCurrentBalance": 0,
              "tentativePendingBalance": 0
            }
          },
          "title": "Points"
        },
        "2": {
          "id": "<id-1>",
          "ledger": {
            "currentBalance": 0,
            "expiredBalance": 0,
            "pendingBalance": 4,
            "spentBalance": 0,
            "tentativeCurrentBalance": 0,
            "tentativePendingBalance": 8
          },
          "name": "Later",
          "title": "Later"
        }
      }
    },
    "profile": {
      "accountId": "<accountId-1>",
      "attributes": {},
      "closedSessions": 0,
      "created": "<created>",
      "id": "<id-1>",
      "integrationId": "olga",
      "lastActivity": "<lastActivity>",
      "sandbox": true,
      "totalSales": 0
    },
    "session": {
      "applicationId": "<applicationId-1>",
      "attributes": {},
      "cartItems": [
        {
          "name": "Shirt",
          "position": 0,
          "price": 30,
          "quantity": 2,
          "sku": "SHIRT-1"
        }
      ],
      "coupon": "SUMMER-10",
      "created": "<created>",
      "discounts": {},
      "firstSession": true,
      "integrationId": "c-v1",
      "profileId": "olga",
      "referral": "",
      "state": "open",
      "total": 60,
      "updated": "<updated>"
    }
  },
  {
    "event": {
      "applicationId": "<applicationId-1>",
      "attributes": {},
      "created": "<created>",
      "effects": [
        {
          "campaignId": "<campaignId-2>",
          "effectType": "addLoyaltyPoints",
          "props": {
            "awaitsActivation": true,
            "name": "Points on request",
            "programId": "<programId-1>",
            "recipientIntegrationId": "olga",
            "subLedgerId": "",
            "transactionUUID": "<transactionUUID-7>",
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
            "recipientIntegrationId": "olga",
            "subLedgerId": "",
            "transactionUUID": "<transactionUUID-8>",
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
            "recipientIntegrationId": "olga",
            "subLedgerId": "",
            "transactionUUID": "<transactionUUID-9>",
            "value": 3
          },
          "ruleIndex": 0,
          "ruleName": "Points on every order",
          "rulesetId": "<rulesetId-2>"
        }
      ],
      "id": "<id-3>",
      "ledgerEntries": [],
      "profileId": "olga",
      "type": "talon_profile_updated"
    },
    "loyalty": {
      "programs": {
        "1": {
          "id": "<id-1>",
          "ledger": {
            "currentBalance": 20,
            "currentTier": {
              "id": "<id-1>",
              "name": "Silver"
            },
            "expiredBalance": 0,
            "pendingBalance": 0,
            "pointsToNextTier": 480,
            "spentBalance": 0,
            "tentativeCurrentBalance": 30,
            "tentativePendingBalance": 0
          },
          "name": "Points",
          "subLedgers": {
            "drinks": {
              "currentBalance": 0,
              "expiredBalance": 0,
              "pendingBalance": 0,
              "pointsToNextTier": 5,
              "spentBalance": 0,
              "tentativeCurrentBalance": 0,
              "tentativePendingBalance": 0
            }
          },
          "title": "Points"
        },
        "2": {
          "id": "<id-1>",
          "ledger": {
            "currentBalance": 0,
            "expiredBalance": 0,
            "pendingBalance": 8,
            "spentBalance": 0,
            "tentativeCurrentBalance": 0,
            "tentativePendingBalance": 12
          },
          "name": "Later",
          "title": "Later"
        }
      }
    },
    "profile": {
      "accountId": "<accountId-1>",
      "attributes": {
        "tier": "silver"
      },
      "closedSessions": 0,
      "created": "<created>",
      "id": "<id-1>",
      "integrationId": "olga",
      "lastActivity": "<lastActivity>",
      "sandbox": true,
      "totalSales": 0
    },
    "session": {
      "applicationId": "<applicationId-1>",
      "attributes": {},
      "cartItems": [
        {
          "name": "Shirt",
          "position": 0,
          "price": 30,
          "quantity": 2,
          "sku": "SHIRT-1"
        }
      ],
      "coupon": "SUMMER-10",
      "created": "<created>",
      "discounts": {},
      "firstSession": true,
      "integrationId": "c-v1",
      "profileId": "olga",
      "referral": "",
      "state": "open",
      "total": 60
    }
  }
]
